from explorer.cli.main import main

main(prog_name="explorer")
