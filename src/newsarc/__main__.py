from newsarc.cli import cli

cli()
