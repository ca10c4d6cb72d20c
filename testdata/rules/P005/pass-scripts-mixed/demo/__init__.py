from ._demo import add


def main():
    print(add(1, 2))
