from lint_notes.cli import main

if __name__ == "__main__":
    main()
