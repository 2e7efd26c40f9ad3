package gl002

// Stop calls the cancel function stored by Server.Start (fields.go).
func (s *Server) Stop() {
	s.cancel()
}

// Finish reads the field into a local and calls it.
func (t *Task) Finish(err error) {
	cancel := t.cancel
	cancel(err)
}
