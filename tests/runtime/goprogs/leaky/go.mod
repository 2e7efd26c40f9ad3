module example.com/leaktrailtest/leaky

go 1.27
