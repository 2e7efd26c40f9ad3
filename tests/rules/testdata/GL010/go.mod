module example.com/gl010

go 1.22
