module example.com/gl017

go 1.22
