module example.com/gl008

go 1.22
