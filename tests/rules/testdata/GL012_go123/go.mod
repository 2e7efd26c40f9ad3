module example.com/gl012_go123

go 1.23
