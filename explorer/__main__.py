from explorer.cli import main

main(prog_name="explorer")
