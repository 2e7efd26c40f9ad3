module example.com/gl004

go 1.22
