namespace Studio.Sandbox.Simulation;

/// <summary>A node taint.</summary>
internal sealed record Taint(string Key, string Value, string Effect);
