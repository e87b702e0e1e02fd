"""The Typer layer: thin commands that parse, call one domain function, render."""
