module example.com/gl019

go 1.22
