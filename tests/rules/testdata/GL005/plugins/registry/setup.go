package registry

// Setup registers a subcommand whose action is filled in by a configuration
// callback, run when the command line is parsed.
type Setup struct {
	Name      string
	Configure func(c *Command)
}

// AddSetup registers a subcommand configured later.
func AddSetup(s Setup) {
	c := Command{Name: s.Name}
	s.Configure(&c)
	commands[c.Name] = c
}

// Adapt turns an action without arguments into a Command action.
func Adapt(run func() error) func(args []string) (int, error) {
	return func(args []string) (int, error) {
		if err := run(); err != nil {
			return 1, err
		}
		return 0, nil
	}
}
