module example.com/gl018

go 1.22
