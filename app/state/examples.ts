/**
 * Example prompts: Python signatures with a docstring and no body, the task the shipped
 * models were trained for (complete a function from its signature and docstring).
 */
export interface ExamplePrompt {
  name: string;
  prompt: string;
}

export const EXAMPLE_PROMPTS: ExamplePrompt[] = [
  {
    name: 'is_palindrome',
    prompt: 'def is_palindrome(text):\n    """Return True if text reads the same forwards and backwards, ignoring case."""\n',
  },
  {
    name: 'parse_version',
    prompt: 'def parse_version(version):\n    """Split a dotted version string such as "1.2.10" into a tuple of integers."""\n',
  },
  {
    name: 'chunks',
    prompt: 'def chunks(items, size):\n    """Yield successive lists of at most size items from items."""\n',
  },
  {
    name: 'read_json',
    prompt:
      'import json\n\n\ndef read_json(path, default=None):\n    """Load the JSON document at path.\n\n    Return default if the file does not exist.\n    """\n',
  },
  {
    name: 'Stack.push',
    prompt:
      'class Stack:\n    def __init__(self):\n        self.items = []\n\n    def push(self, item):\n        """Add item to the top of the stack."""\n',
  },
];

/** Example code for infill: a whole function with the text the example masks. */
export interface ExampleInfill {
  name: string;
  code: string;
  /** Text of `code` the example masks, at its first occurrence. */
  masked: string;
}

export const EXAMPLE_INFILLS: ExampleInfill[] = [
  {
    name: 'is_palindrome',
    code: 'def is_palindrome(text):\n    """Return True if text reads the same forwards and backwards, ignoring case."""\n    text = text.lower()\n    return text == text[::-1]\n',
    masked: 'text == text[::-1]',
  },
  {
    name: 'Stack.push',
    code: 'class Stack:\n    def __init__(self):\n        self.items = []\n\n    def push(self, item):\n        """Add item to the top of the stack."""\n        self.items.append(item)\n',
    masked: 'self.items.append(item)',
  },
  {
    name: 'read_json',
    code:
      'import json\nimport os\n\n\ndef read_json(path, default=None):\n    """Load the JSON document at path.\n\n    Return default if the file does not exist.\n    """\n' +
      '    if not os.path.exists(path):\n        return default\n    with open(path) as f:\n        return json.load(f)\n',
    masked: 'if not os.path.exists(path):',
  },
];

/** Example code for repair: a function with one or two broken tokens. */
export const EXAMPLE_REPAIRS: { name: string; code: string }[] = [
  {
    name: 'misspelled return',
    code: 'def add(a, b):\n    """Return the sum of a and b."""\n    retrun a + b\n',
  },
  {
    name: 'missing colon',
    code: 'def is_even(n)\n    """Return True if n is even."""\n    return n % 2 == 0\n',
  },
  {
    name: 'misspelled name',
    code: 'def total(items):\n    """Return the sum of the prices of items."""\n    result = 0\n    for item in items:\n        result += item.price\n    return reslt\n',
  },
];
