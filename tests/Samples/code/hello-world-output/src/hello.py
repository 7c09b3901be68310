"""Prints its greeting, lists its data input and writes a file into its output folder."""
import argparse
import os

parser = argparse.ArgumentParser()
parser.add_argument("--greeting", default="hello")
parser.add_argument("--data", required=True)
parser.add_argument("--out", required=True)
args = parser.parse_args()

print(args.greeting)
files = sorted(os.listdir(args.data))
print(f"{len(files)} input file(s): {', '.join(files)}")
os.makedirs(args.out, exist_ok=True)
with open(os.path.join(args.out, "inputs.txt"), "w", encoding="utf-8") as out:
    out.write("\n".join(files) + "\n")
