namespace Remediator.Detectors.Tests.Iam.Corpus;

public sealed class ManagedPolicyDump
{
    [Fact]
    public void Dump()
    {
        var lines = IamCorpus.ManagedPolicies.Select(p => p.Key + "\t" + IamCorpus.Summary(IamCorpus.Judge(p.Value)));
        File.WriteAllLines("/tmp/iam-managed-dump.tsv", lines);
    }
}
