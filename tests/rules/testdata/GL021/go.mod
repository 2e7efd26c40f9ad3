module example.com/gl021

go 1.22
