module example.com/leaky-orders

go 1.22
