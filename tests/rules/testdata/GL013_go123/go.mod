module example.com/gl013_go123

go 1.23
