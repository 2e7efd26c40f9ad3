module example.com/gl006

go 1.22
