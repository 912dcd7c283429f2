def pytest_addoption(parser):
    parser.addoption('--flags', default='', metavar='"FLAG ..."',
                     help='space-separated notebook test flags to run, like `nbdev_test --flags` (e.g. "slow")')
