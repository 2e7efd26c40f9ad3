module example.com/gl007

go 1.22
