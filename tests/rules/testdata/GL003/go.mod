module example.com/gl003

go 1.22
