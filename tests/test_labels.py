import pytest

from kommunal_digital.model import labels

ENUMS = [
    obj
    for obj in vars(labels).values()
    if isinstance(obj, type)
    and issubclass(obj, labels.LabelledEnum)
    and obj is not labels.LabelledEnum
]


@pytest.mark.parametrize("enum", ENUMS, ids=lambda e: e.__name__)
def test_every_member_has_its_own_german_label(enum: type[labels.LabelledEnum]) -> None:
    for member in enum:
        assert member.label
        assert member.label != member.value or member.value in {
            "geplant",
            "abgeschlossen",
            "verworfen",
        }
    assert len({m.label for m in enum}) == len(enum)


def test_same_value_in_two_enums_keeps_two_labels() -> None:
    assert labels.Delivery.EXTERN.label == "extern vergeben"
    assert labels.StakeholderGroup.EXTERN.label == "externe Partner"
