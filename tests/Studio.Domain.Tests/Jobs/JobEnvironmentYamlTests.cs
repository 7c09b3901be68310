using Studio.Domain.Jobs;

namespace Studio.Domain.Tests.Jobs;

/// <summary>
/// A job's own environment in CLI v2 YAML: <c>file:env.yml</c>, inline <c>{image, conda_file}</c> (a path or the file
/// written inline) and <c>{build: {path, dockerfile_path}}</c> are kept in the spec (no longer listed as unsupported, no
/// longer "Choose an environment"), checked, and exported back; conda files are read for their conda and pip packages.
/// </summary>
public sealed class JobEnvironmentYamlTests
{
    [Theory]
    [InlineData("environment: file:env.yml", "env.yml")]
    [InlineData("environment: file:./env/environment.yml", "./env/environment.yml")]
    public void FileEnvironment_IsKeptAsTheFileToRead_AndIsValid(string line, string file)
    {
        var import = CommandJobYaml.Import($"command: python train.py\ncompute: azureml:cpu\n{line}\n").Value;

        Assert.Equal(file, import.Spec.InlineEnvironment?.File);
        Assert.True(import.Spec.InlineEnvironment!.NeedsFiles);
        Assert.Empty(import.Unsupported);
        Assert.Empty(import.Spec.Validate());
    }

    [Fact]
    public void InlineCondaFile_WrittenInTheYaml_IsKeptAsItsText()
    {
        const string yaml = """
            command: python train.py
            compute: azureml:cpu
            environment:
              image: mcr.microsoft.com/azureml/openmpi4.1.0-ubuntu22.04:20240709.v1
              conda_file:
                name: env
                dependencies:
                  - python=3.10
                  - pip:
                      - torch==2.3.0
            """;

        var import = CommandJobYaml.Import(yaml).Value;

        var conda = CondaFile.Parse(import.Spec.InlineEnvironment?.CondaFile, "environment.conda_file").Value;
        Assert.Equal("env", conda.Name);
        Assert.Equal(["python=3.10"], conda.CondaPackages);
        Assert.Equal(["torch==2.3.0"], conda.PipPackages);
        Assert.Empty(import.Unsupported);
        Assert.Empty(import.Spec.Validate());
    }

    [Fact]
    public void BuildEnvironment_IsKept_WithItsDockerfile_AndNeedsNoImage()
    {
        var import = CommandJobYaml.Import("command: python train.py\ncompute: azureml:cpu\nenvironment:\n  build:\n    path: ./docker\n    dockerfile_path: gpu.Dockerfile\n").Value;

        Assert.Equal(("./docker", "gpu.Dockerfile", true), (import.Spec.InlineEnvironment?.BuildPath, import.Spec.InlineEnvironment?.Dockerfile, import.Spec.InlineEnvironment?.IsBuild));
        Assert.Empty(import.Unsupported);
        Assert.Empty(import.Spec.Validate());
    }

    [Theory]
    [InlineData("environment:\n  conda_file: conda.yml\n", "environment.image")]
    [InlineData("environment:\n  image: python:3.12\n  build: {path: ./docker}\n", "environment.build")]
    [InlineData("environment:\n  build: {path: ../outside}\n", "environment.build.path")]
    [InlineData("environment:\n  image: python:3.12\n  conda_file: {dependencies: not-a-list}\n", "environment.conda_file")]
    public void ContradictoryOrBrokenEnvironments_AreErrorsNamingTheKey(string environment, string field)
    {
        var import = CommandJobYaml.Import($"command: python train.py\ncompute: azureml:cpu\n{environment}");

        var errors = import.IsSuccess ? import.Value.Spec.Validate() : import.Errors;

        Assert.Contains(errors, e => e.Field == field);
    }

    [Fact]
    public void EnvironmentFile_IsReadLikeAnInlineEnvironment_AndItsRegistrationKeysAreListed()
    {
        const string yaml = """
            $schema: https://azuremlschemas.azureedge.net/latest/environment.schema.json
            name: sklearn-env
            version: 3
            image: mcr.microsoft.com/azureml/openmpi4.1.0-ubuntu22.04
            conda_file: ./conda.yaml
            """;

        var read = CommandJobYaml.ReadEnvironmentFile(yaml, "file:env.yml").Value;

        Assert.Equal(("mcr.microsoft.com/azureml/openmpi4.1.0-ubuntu22.04", "./conda.yaml"), (read.Image, read.Environment.CondaFilePath));
        Assert.Equal(["environment.name", "environment.version"], read.Issues.Select(i => i.Path));
    }

    [Fact]
    public void Export_WritesTheCondaFileInline_SoCloneAndEditKeepsIt()
    {
        var spec = new JobSpec
        {
            Compute = "cpu",
            Command = "python train.py",
            Image = "python:3.12",
            InlineEnvironment = new JobEnvironment { CondaFile = "dependencies:\n  - pip:\n      - numpy\n" },
        };

        var again = CommandJobYaml.Import(CommandJobYamlExport.Export(spec)).Value.Spec;

        Assert.Equal("python:3.12", again.Image);
        Assert.Equal(["numpy"], CondaFile.Parse(again.InlineEnvironment?.CondaFile, "f").Value.PipPackages);
    }

    [Fact]
    public void CondaFile_CondaOnlyPackages_LeaveOutPythonAndPip()
    {
        var conda = CondaFile.Parse("dependencies:\n  - python=3.10\n  - pip>=23\n  - numpy=1.26\n  - cudatoolkit\n", "f").Value;

        Assert.Equal(["numpy=1.26", "cudatoolkit"], conda.CondaOnly);
        Assert.Equal(string.Empty, conda.Requirements);
    }

    [Fact]
    public void MainContainer_EndingWithTheEnvironmentFailure_FailsTheJobAsEnvironmentFailed()
    {
        var failed = new ContainerObservation("main", "python:3.12", ContainerPhase.Terminated, "Error", "Environment could not be prepared: pip install exited with code 1; see the lines above.", 1, 0, 0);
        var observation = new JobObservation(true, [new JobConditionObservation("Failed", true, "BackoffLimitExceeded", null)], 0, 0, 1, [new PodObservation("job-0-abc", 0, "Failed", "n1", [failed])]);

        var status = JobStatusMapping.Map(observation);

        Assert.Equal((JobState.Failed, JobStatusMapping.EnvironmentFailed), (status.State, status.Reason));
        Assert.Equal("Environment could not be prepared: pip install exited with code 1; see the lines above.", status.Message);
    }
}
