namespace Studio.Domain.Endpoints;

/// <summary>
/// The model a deployment serves: a registered version (<c>azureml:NAME:VERSION</c> or <c>azureml:NAME@latest</c>,
/// <see cref="Reference"/>) or a folder uploaded with the file (<c>model: {path: ../model-1/model/}</c>, <see cref="Path"/>).
/// </summary>
public sealed record DeploymentModel(string? Reference, string? Path = null);
