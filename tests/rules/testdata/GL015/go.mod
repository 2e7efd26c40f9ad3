module example.com/gl015

go 1.22
