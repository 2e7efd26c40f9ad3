module example.com/leaktrailtest/hangtest

go 1.27
