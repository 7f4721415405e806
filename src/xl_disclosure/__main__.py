from xl_disclosure.cli.main import main

if __name__ == "__main__":
    main()
