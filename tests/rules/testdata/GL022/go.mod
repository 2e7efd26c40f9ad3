module example.com/gl022

go 1.22
