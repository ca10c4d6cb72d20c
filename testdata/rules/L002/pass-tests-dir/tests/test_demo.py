import demo


def test_add():
    assert demo.add(1, 2) == 3
