module example.com/gl001

go 1.22
