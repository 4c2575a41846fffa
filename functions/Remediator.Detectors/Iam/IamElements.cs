using Remediator.Core;
using Remediator.Core.Registry;

namespace Remediator.Detectors.Iam;

/// <summary>Registers the IAM detectors with the registry.</summary>
public static class IamElements
{
    public static ElementRegistry AddIamDetectors(this ElementRegistry registry) =>
        registry.AddDetector(new DetectorDescriptor(
            IamBroadPolicyDetector.DetectorName,
            Concerns.IamBroadPermissions,
            IamBroadPolicyDetector.Description,
            IamBroadPolicyOptions.Specs,
            IamBroadPolicyOptions.Bind,
            new IamBroadPolicyDetector()));
}
