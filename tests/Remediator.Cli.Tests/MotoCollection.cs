using Remediator.Testing;

namespace Remediator.Cli.Tests;

/// <summary>The CLI tests that talk to moto share one server and run one after another (each resets it first).</summary>
[CollectionDefinition(Name)]
public sealed class MotoCollection : ICollectionFixture<MotoServer>
{
    public const string Name = "moto";
}
