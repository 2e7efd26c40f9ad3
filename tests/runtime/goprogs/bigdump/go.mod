module example.com/leaktrailtest/bigdump

go 1.27
