module example.com/leaktrailtest/soak

go 1.27
