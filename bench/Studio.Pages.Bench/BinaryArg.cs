namespace Studio.Pages.Bench;

/// <summary>A binary argument: its offset and length inside the message body it was read from.</summary>
internal readonly record struct BinaryArg(int Offset, int Length);
