module example.com/gl009

go 1.22
