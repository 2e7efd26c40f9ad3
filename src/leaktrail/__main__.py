from leaktrail.cli import main

main()
