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
