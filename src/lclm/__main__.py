from lclm.cli.main import main

main()
