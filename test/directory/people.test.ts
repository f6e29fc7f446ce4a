import { approverOf, parseDirectory, peopleOf } from '../../directory/directory';

const yaml = (extra: string) => `
departments:
  区环保局:
    email: hb@x.example
    head: { name: 李局长, post: 局长, email: li@x.example }
${extra}
`;

describe('people and in-department approval in the directory', () => {
  test('the approver is the one named, else the head with approval: true; none without either', () => {
    const named = parseDirectory(yaml('    staff: [{ name: 张三 }]\n    approver: 王五'), 'd.yaml');
    expect(approverOf(named, '区环保局')).toBe('王五');
    expect(peopleOf(named, '区环保局')).toEqual(['张三', '王五', '李局长']);
    expect(approverOf(parseDirectory(yaml('    approval: true'), 'd.yaml'), '区环保局')).toBe('李局长');
    expect(approverOf(parseDirectory(yaml(''), 'd.yaml'), '区环保局')).toBeUndefined();
    expect(
      approverOf(parseDirectory(yaml('    approver: 王五\n    approval: false'), 'd.yaml'), '区环保局'),
    ).toBeUndefined();
  });

  test('approval with nobody to approve is refused, the place named', () => {
    const text = `
departments:
  区环保局:
    email: hb@x.example
    approval: true
`;
    expect(() => parseDirectory(text, 'd.yaml')).toThrow(
      'd.yaml: invalid directory:\n  departments.区环保局.approval: approval needs an approver (分管领导) or a head to approve',
    );
  });
});
