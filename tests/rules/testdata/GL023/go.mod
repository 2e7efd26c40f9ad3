module example.com/gl023

go 1.22
