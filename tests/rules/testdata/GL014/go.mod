module example.com/gl014

go 1.22
