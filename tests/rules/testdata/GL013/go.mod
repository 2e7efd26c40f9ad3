module example.com/gl013

go 1.22
