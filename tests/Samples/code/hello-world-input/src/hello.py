"""Prints the job's inputs: python hello.py "${{inputs.hello_string}}" ${{inputs.hello_number}}"""
import sys

print(" ".join(sys.argv[1:]), flush=True)
