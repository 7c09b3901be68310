namespace Studio.Domain.Artifacts;

/// <summary>Azure ML's model types.</summary>
public enum ModelType
{
    /// <summary><c>custom_model</c></summary>
    CustomModel,

    /// <summary><c>mlflow_model</c></summary>
    MlflowModel,

    /// <summary><c>triton_model</c></summary>
    TritonModel,
}
