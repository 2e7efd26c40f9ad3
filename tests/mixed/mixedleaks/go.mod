module example.com/leaktrailtest/mixedleaks

go 1.27
