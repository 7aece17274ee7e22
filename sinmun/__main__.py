from sinmun.cli import main

main()
