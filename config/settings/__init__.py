"""Settings package: `base` is what runs (development or production, chosen by the environment);
`test` adjusts it for the test suite."""
