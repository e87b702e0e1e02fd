from lclm.cli import main

main()
