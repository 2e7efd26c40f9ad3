module example.com/gl020

go 1.22
