namespace Studio.Domain.Endpoints;

/// <summary><c>code_configuration</c>: the folder with the scoring script (<c>init()</c> and <c>run()</c>) and the script's path in it.</summary>
public sealed record CodeConfiguration(string Code, string ScoringScript);
